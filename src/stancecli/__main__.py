from stancecli.entry import main

main()
