print("teamlog: not yet")
