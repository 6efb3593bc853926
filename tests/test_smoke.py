from click.testing import CliRunner

from bpmncx.cli import cli


def test_help_lists_inspect():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "inspect" in result.output
