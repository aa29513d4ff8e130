"""The edit session: change set, undo/redo, validation, PUT body, diff, drafts and submit.

No Textual here. Names are imported from the module that defines them.
"""
