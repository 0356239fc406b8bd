"""The one exception type for problems a user can fix; its message is a sentence that says what to change.

The UI shows it as gr.Error, the CLI prints it and exits with status 2.
"""


class GenartError(Exception):
    pass
