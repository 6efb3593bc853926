"""The exceptions bpmncx raises; the CLI turns each into a one-line error."""


class BpmncxError(Exception):
    """Base class: a problem a user can fix, with a message that says how."""


class BpmnReadError(BpmncxError):
    """A BPMN file could not be read (not XML, not BPMN, hostile or unreadable)."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.reason = message


class WorkbookError(BpmncxError):
    """A workbook could not be opened or does not have the expected sheets."""


class RenderError(BpmncxError):
    """Graphviz is missing or failed to draw a diagram."""


class OutputError(BpmncxError):
    """An output file could not be written."""


class EventLogError(BpmncxError):
    """An event log or survey file could not be read (empty, missing columns, hostile XML).

    The message names the file and, when there is one, the line.
    """

    def __init__(self, path, message, line=None):
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line
        self.reason = message
