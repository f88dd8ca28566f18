"""`python -m vanban …`: the `vanban` command."""

from .launch import command

command()
