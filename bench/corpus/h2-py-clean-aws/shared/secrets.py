import boto3
from cachetools import TTLCache, cached
from cachetools.keys import hashkey

_client = boto3.client("secretsmanager")
_cache: TTLCache = TTLCache(maxsize=64, ttl=900)


@cached(_cache, key=lambda secret_id: hashkey(secret_id))
def get_secret(secret_id: str) -> str:
    return _client.get_secret_value(SecretId=secret_id)["SecretString"]
