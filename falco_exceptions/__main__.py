from falco_exceptions.cli import main

main()
