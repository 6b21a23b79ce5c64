def post(entry):
    return entry
