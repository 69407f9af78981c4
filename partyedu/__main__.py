from partyedu.cli import main

main()
