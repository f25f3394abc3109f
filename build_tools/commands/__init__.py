"""Sub-commands of `evidence`: each module has register(subparsers) and run(args) -> exit code."""
