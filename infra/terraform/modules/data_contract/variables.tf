# No inputs: the contract is the file beside this module (contract.json).
