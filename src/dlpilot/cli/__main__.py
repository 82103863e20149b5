from dlpilot.cli import main

main()
