from signpost.cli import run

run()
