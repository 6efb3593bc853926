"""Results go to stdout; progress, warnings and errors go to stderr."""

import click


def out(message: str = "") -> None:
    click.echo(message)


def err(message: str) -> None:
    click.echo(message, err=True)
