"""Results go to stdout; progress, warnings and errors go to stderr."""

import math

import click


class NumberRange(click.FloatRange):
    """A number option within bounds: click.FloatRange, which lets "nan" through (every
    comparison with it is false) to fail later, deep inside a drawing program."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number


def out(message: str = "") -> None:
    click.echo(message)


def err(message: str) -> None:
    """One line on stderr. Messages name files and elements from untrusted input: their
    control characters are blanked so a name cannot move the cursor or recolour the
    terminal (report.terminal.plain)."""
    from ..report.terminal import plain

    click.echo(plain(message), err=True)


def formats_option(default: str):
    """``--format LIST``: a comma-separated list of output formats, parsed by the
    pipeline's one parser (a bad list is a usage error, exit 2)."""
    from ..pipeline.outputs import FORMATS, FormatError, parse_formats

    def parse(_ctx, _param, value):
        try:
            return parse_formats(value)
        except FormatError as error:
            raise click.BadParameter(str(error)) from None

    return click.option("--format", "formats", default=default, show_default=True, callback=parse,
                        help=f"Comma-separated outputs: {', '.join(FORMATS)}.")


def print_problems(error) -> None:
    """A workbook with errors: each error with its cell, then what to do."""
    for problem in error.problems:
        err(f"error: {problem}")


def model_and_workbook(command: str):
    """The MODEL... WORKBOOK arguments of a command, in either order (the pipeline tells the
    workbook by what it is); the decorated function gets ``models`` and ``workbook``."""
    from functools import wraps

    def decorate(function):
        @click.argument("inputs", nargs=-1, required=True, type=str, metavar="MODEL... WORKBOOK")
        @wraps(function)
        def wrapper(inputs, **options):
            models, workbook = split_arguments(inputs, command)
            return function(models=models, workbook=workbook, **options)

        return wrapper

    return decorate


def split_arguments(inputs, command: str):
    """(models, workbook) from the arguments; what is missing or doubled is a usage error."""
    from ..pipeline.inputs import InputsError, split_inputs

    try:
        return split_inputs(inputs, command)
    except InputsError as error:
        raise click.UsageError(str(error)) from None


# -- --log and its options: one decorator for measure, gaps, annotate and batch ----------

_LOG_COLUMNS = ("case", "activity", "time", "lifecycle", "resource", "channel")
_COLUMN_ROLE = {"case": "case_id", "activity": "activity", "time": "timestamp",
                "lifecycle": "lifecycle", "resource": "resource", "channel": "channel"}


def log_options(required: bool = False, per_model: bool = False, heat: bool = False):
    """``--log FILE`` with the options that say how to read and judge it: survey, column
    names, date order, clock start and stop, thresholds (left None when not typed, so the
    workbook's Settings sheet can set them), and with ``heat`` the picture's heat. The
    decorated function gets ``log``: a pipeline LogRequest, or None without --log.
    ``per_model``: --log auto finds each model's own log (batch)."""
    from functools import wraps

    from ..eventlog.findings import HEATS, SETTINGS

    log_help = "Event log: CSV (any delimiter), Parquet or XES."
    if per_model:
        log_help += (" 'auto': each model's own log beside it, MODEL.log.csv (or .log.xes, "
                     ".log.parquet); models without one are drawn without.")
    options = [
        click.option("--log", "log_path", required=required, metavar="FILE", help=log_help),
        click.option("--survey", "survey_path", metavar="FILE",
                     help="Survey scores CSV (CSAT 1-5, NPS 0-10, CES 1-7)."),
        # "--scale" is measure's older spelling; annotate's --scale is the PNG's
        click.option("--survey-scale", *(["--scale"] if required else []), "survey_scale",
                     type=click.Choice(["csat", "nps", "ces"], case_sensitive=False),
                     help="Scale of survey rows that do not say theirs."),
    ]
    options += [click.option(f"--{name}-column", f"log_{name}_column", metavar="NAME",
                             help=f"The log's {name if name != 'case' else 'case id'} column.")
                for name in _LOG_COLUMNS]
    options += [
        click.option("--date-order", type=click.Choice(["dmy", "mdy"]),
                     help="How to read slash dates like 01/03/2024 when the data does not say."),
        click.option("--process-start", multiple=True, metavar="ELEMENT",
                     help="Start the process clock at this element's first event (id or name; "
                          "repeatable). Default: the first operations event."),
        click.option("--process-stop", multiple=True, metavar="ELEMENT",
                     help="Stop the process clock at this element's last event (repeatable)."),
        click.option("--customer-start", type=click.IntRange(min=1), metavar="STEP",
                     help="Start the customer clock at this journey step (number)."),
        click.option("--customer-stop", type=click.IntRange(min=1), metavar="STEP",
                     help="Stop the customer clock at this journey step (number)."),
    ]
    for setting in SETTINGS:
        kind = click.IntRange(min=int(setting.low)) if setting.whole else \
            NumberRange(setting.low, setting.high)
        options.append(click.option(
            f"--{setting.name}", f"threshold_{setting.field}", type=kind,
            metavar="N" if setting.whole else "X",
            help=f"{setting.name} threshold: {setting.unit} (default {setting.default:g}; "
                 "the workbook's Settings sheet may set it)."))
    if heat:
        options += [
            click.option("--heat", type=click.Choice(HEATS), default="frequency",
                         show_default=True,
                         help="With --log: colour elements by how often they happen per case "
                              "or how long they take."),
            click.option("--heat-limits", metavar="LOW,HIGH", callback=_heat_limits,
                         help="Bounds between the heat's three shades (events per case, or "
                              "hours for duration); default: the measured thirds."),
        ]
    names = ["log_path", "survey_path", "survey_scale", "date_order", "process_start",
             "process_stop", "customer_start", "customer_stop", "heat", "heat_limits"]
    names += [f"log_{name}_column" for name in _LOG_COLUMNS]
    names += [f"threshold_{s.field}" for s in SETTINGS]

    def decorate(function):
        @wraps(function)
        def wrapper(**given):
            values = {name: given.pop(name, None) for name in names}
            return function(log=_request(values), **given)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def _heat_limits(_ctx, _param, value):
    if value is None:
        return None
    try:
        low, high = (float(part) for part in value.split(","))
    except ValueError:
        raise click.BadParameter("give two numbers, LOW,HIGH (e.g. 1,3)") from None
    if not 0 <= low < high:
        raise click.BadParameter("LOW must be below HIGH, both 0 or more")
    return low, high


def _request(values):
    from ..eventlog.findings import SETTINGS
    from ..pipeline.inputs import LogRequest

    if not values["log_path"]:
        return None
    heat = values["heat"] or "frequency"
    limits = values["heat_limits"]
    if limits is not None and heat == "duration":
        limits = (limits[0] * 3600.0, limits[1] * 3600.0)  # typed in hours
    return LogRequest(
        path=values["log_path"], survey=values["survey_path"], scale=values["survey_scale"],
        columns={_COLUMN_ROLE[name]: values[f"log_{name}_column"] for name in _LOG_COLUMNS},
        date_order=values["date_order"],
        thresholds={s.name: values[f"threshold_{s.field}"] for s in SETTINGS},
        process_start=tuple(values["process_start"] or ()),
        process_stop=tuple(values["process_stop"] or ()),
        customer_start=values["customer_start"], customer_stop=values["customer_stop"],
        heat=heat, heat_limits=limits)
