from stancecli.cli.app import main

main()
