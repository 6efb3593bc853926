"""Results go to stdout; progress, warnings and errors go to stderr."""

import click


def out(message: str = "") -> None:
    click.echo(message)


def err(message: str) -> None:
    click.echo(message, err=True)


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
