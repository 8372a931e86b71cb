management_events = "ReadOnly"
