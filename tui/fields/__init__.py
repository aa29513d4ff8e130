"""The field catalog and the field-path syntax."""
