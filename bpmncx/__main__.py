import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while starting up: the same one line as later
    sys.stderr.write("\ninterrupted\n")
    sys.exit(130)

main()
