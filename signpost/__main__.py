from signpost.cli import app

app(prog_name="signpost")
