import boto3
import requests
from flask import Blueprint, abort, current_app, g, jsonify

from app.auth import login_required
from app.models import LinkedAccount

bp = Blueprint("instances", __name__, url_prefix="/accounts")
ssm = boto3.client("ssm")


@bp.get("/<account_id>/instances")
@login_required
def list_instances(account_id: str):
    link = LinkedAccount.query.filter_by(tenant_id=g.principal.tenant_id, account_id=account_id).first()
    if link is None:
        abort(404)

    sts = boto3.client("sts")  # expect: client-per-request
    creds = sts.assume_role(  # expect: credentials-per-request
        RoleArn=link.role_arn,
        RoleSessionName=f"inventory-{g.principal.tenant_id}"[:64],
        ExternalId=link.external_id,
    )["Credentials"]
    ec2 = boto3.client(  # expect: client-per-request
        "ec2",
        region_name=link.region,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    reservations = ec2.describe_instances(MaxResults=200)["Reservations"]
    instances = [i for r in reservations for i in r["Instances"]]

    token = ssm.get_parameter(Name="/prod/billing/api-token", WithDecryption=True)["Parameter"]["Value"]  # expect: secret-fetch-per-request
    resp = requests.post(  # expect: no-timeout-or-fallback
        f"{current_app.config['BILLING_URL']}/v1/cost-tags",
        json={"account_id": account_id, "instance_ids": [i["InstanceId"] for i in instances]},
        headers={"authorization": f"Bearer {token}"},
    )
    tags = resp.json() if resp.ok else {}

    print(f"listed {len(instances)} instances for {account_id}")  # expect: unstructured-logging
    return jsonify(
        [
            {"id": i["InstanceId"], "type": i["InstanceType"], "state": i["State"]["Name"], "cost_tags": tags.get(i["InstanceId"], [])}
            for i in instances
        ]
    )
