"""Operator script: rotate the HS256 session secret. Run by hand, prints progress to the terminal."""
import argparse
import secrets as pysecrets

import boto3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret-id", required=True)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()

    client = boto3.client("secretsmanager")
    current = client.describe_secret(SecretId=args.secret_id)
    print(f"current version stages: {current.get('VersionIdsToStages', {})}")
    if args.dry_run:
        print("dry run, nothing changed")
        return
    client.put_secret_value(SecretId=args.secret_id, SecretString=pysecrets.token_urlsafe(48))
    print("new secret version written; old sessions stay valid until AWSPREVIOUS is removed")


if __name__ == "__main__":
    main()
