from falco_exceptions.launch import main

main()
