"""Validates API requests with botocore's own service models (Debian: python3-botocore).

stdin: JSON list of {"service", "operation", "params"}; prints one line per request and, for an
invalid one, botocore's report; exits 1 if any request is invalid. QueryStackTest feeds it the query
stack's Glue tables and Athena workgroup as CreateTable and CreateWorkGroup requests (CloudFormation's
property names are the API's member names for these resources).
"""
import json
import sys

import botocore.session
from botocore.validate import ParamValidator


def main():
    session = botocore.session.get_session()
    failed = 0
    for request in json.load(sys.stdin):
        model = session.get_service_model(request["service"])
        shape = model.operation_model(request["operation"]).input_shape
        report = ParamValidator().validate(request["params"], shape)
        if report.has_errors():
            failed += 1
            print(f"INVALID {request['service']} {request['operation']}:\n{report.generate_report()}")
        else:
            print(f"valid {request['service']} {request['operation']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
