"""The ``subtensor`` command line (click).

Subcommands follow node-subtensor/Substrate naming so operators can reuse what they know. Commands only
parse options and call into the library; no logic lives here.
"""

from __future__ import annotations

import click

from subtensor import __version__
from subtensor.chain_spec import load_raw_chain_spec
from subtensor.errors import ChainSpecError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pysubtensor")
def main() -> None:
    """pysubtensor: a Substrate-compatible Bittensor node written in Python."""


@main.command("export-genesis-head")
@click.option("--chain", "chain", required=True, type=click.Path(dir_okay=False),
              help="Path to a raw chain-spec JSON file.")
def export_genesis_head(chain: str) -> None:
    """Print 0x + the SCALE-encoded genesis header of a raw chain spec."""
    try:
        spec = load_raw_chain_spec(chain)
    except ChainSpecError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("0x" + spec.genesis_header().encode().hex())


if __name__ == "__main__":  # pragma: no cover
    main()
