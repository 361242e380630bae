// Which constructors hold connections: the one model of "a client worth keeping" (client-per-request reads it; a
// rule asking whether a value owns a pool asks here). Each entry from its library's own documentation:
// - AWS SDK for JavaScript v3: each client owns a NodeHttpHandler with a keep-alive agent and its resolved
//   credentials ("we recommend creating a client once and reusing it");
//   https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-reusing-connections.html
// - pg `Pool`, ioredis `Redis`, mysql2 `createPool`, mongoose `connect`, Knex, Sequelize: connection pools.
// - axios.create / got.extend / ky.create: instances over the shared agent, kept because they carry config.
// - http(s).Agent, undici Agent: the keep-alive socket pool itself.
// - boto3: "Clients are generally thread-safe" and own a urllib3 pool; a `Session` "stores configuration state and
//   allows you to create service clients" and holds no connection of its own
//   (https://boto3.amazonaws.com/v1/documentation/api/latest/guide/session.html): building one is configuration.
// - httpx: "a Client instance uses HTTP connection pooling" (https://www.python-httpx.org/advanced/clients/);
//   requests.Session: "will use urllib3's connection pooling"; aiohttp ClientSession: "the session contains a
//   connection pool inside"; redis-py, pymongo MongoClient, SQLAlchemy engines, asyncpg/psycopg pools.
// - oauthlib's OAuth 2 clients (WebApplicationClient, BackendApplicationClient, ...) only build and parse OAuth
//   messages: "OAuthLib is a framework which implements the logic of OAuth1 or OAuth2 without assuming a specific
//   HTTP request object" (https://oauthlib.readthedocs.io/): no connection, however they are named.
// - Rust: aws-sdk `Client` ("Client construction is expensive due to connection thread pool initialization"),
//   reqwest `Client` ("holds a connection pool internally"), sqlx/bb8/r2d2/deadpool pools, redis/mongodb clients.
// A class the repository defines is judged by what its constructor builds, whatever its name.

export const TS_POOLED_CLASS = /^(Pool|Redis|Sequelize|Knex|OpenAI|Anthropic|Stripe|Octokit|Kafka|MeiliSearch|Typesense)$/;
/** AWS SDK v3 aggregated clients (`new S3({})`), when imported from @aws-sdk. */
export const TS_AWS_AGGREGATED = /^(S3|DynamoDB|SQS|SNS|STS|SSM|SecretsManager|EventBridge|Kinesis|Firehose|Lambda|SES|SESv2|KMS|Athena|CloudWatch|CloudWatchLogs|SFN|CognitoIdentityProvider)$/;
export const TS_POOLED_FACTORY = /^(axios\.create|got\.extend|ky\.create|ky\.extend|mongoose\.connect|mongoose\.createConnection|mysql2?\.createPool|mysql2?\.createConnection|redis\.createClient|createClient|createPool|DynamoDBDocumentClient\.from|DynamoDBDocument\.from)$/;
/** Classes named like clients that hold nothing to reuse. */
export const TS_STATELESS_CLASS = /^(Test|Mock|Fake|Stub)\w*Client$/;

export const PY_POOLED_CALL =
  /^(boto3\.(client|resource)|httpx\.(Client|AsyncClient)|requests\.(Session|session)|aiohttp\.ClientSession|ClientSession|urllib3\.PoolManager|redis\.(Redis|StrictRedis|from_url|asyncio\.Redis|asyncio\.from_url)|Redis(\.from_url)?|StrictRedis|aioredis\.from_url|(pymongo\.)?MongoClient|(motor\.motor_asyncio\.)?AsyncIOMotorClient|(sqlalchemy\.)?create_(async_)?engine|asyncpg\.(create_pool|connect)|psycopg2?\.connect|psycopg\.AsyncConnection\.connect|pymysql\.connect|aiomysql\.create_pool|(psycopg2\.pool\.)?(Simple|Threaded)ConnectionPool|(Async)?OpenAI|(Async)?Anthropic|(Async)?Elasticsearch|Minio)$/;
/** Configuration and message builders: no connection of their own (clients made from a boto3 Session are judged apart). */
export const PY_STATELESS_CALL =
  /^(boto3\.(Session|session\.Session)|aioboto3\.Session|botocore\.session\.get_session|(oauthlib\.oauth2\.)?(WebApplication|BackendApplication|LegacyApplication|MobileApplication|ServiceApplication|Device)Client|(Test|Mock|Fake|Stub)\w*Client)$/;

export const RS_POOLED_PATH = [
  /^reqwest::(blocking::)?(Client::(new|builder)|ClientBuilder::new|get)$/,
  /^aws_config::(load_from_env|from_env|defaults|load_defaults)$/,
  /^aws_sdk_\w+::(client::)?Client::(new|from_conf)$/,
  /^sqlx::(\w+::)*(\w*Pool::connect\w*|\w*PoolOptions::new|\w*Connection::connect\w*)$/,
  /^redis::Client::open$/,
  /^mongodb::Client::with_(uri_str|options)$/,
  /^tokio_postgres::connect$/,
  /^(bb8|r2d2|deadpool\w*)::(\w+::)*Pool::(builder|new)$/,
];

/** A Python call that builds a client by its name alone: a pooled library call, or a `...Client(...)` class not known to be stateless. */
export function pyBuildsClient(callee: string): "pooled" | "named" | undefined {
  if (PY_STATELESS_CALL.test(callee)) return undefined;
  if (PY_POOLED_CALL.test(callee)) return "pooled";
  return /^[A-Z]\w*Client$/.test(callee.replace(/^.*\./, "")) ? "named" : undefined;
}

/** What a repository class holds, from its source: a base class or a constructor that builds a pooled client. */
export function pyClassHoldsPool(classText: string): boolean {
  const header = /^class\s+\w+\s*(\(([^)]*)\))?/.exec(classText)?.[2] ?? "";
  if (header.split(",").some((b) => PY_POOLED_CALL.test(b.trim()))) return true;
  return [...classText.matchAll(/([A-Za-z_][\w.]*)\s*\(/g)].some((m) => PY_POOLED_CALL.test(m[1]) || (/Client$/.test(m[1]) && pyBuildsClient(m[1]) === "pooled"));
}

/** The same for a TypeScript class: `extends` a pooled class, or builds one (`new Pool(...)`, `axios.create(...)`, `new S3Client(...)`). */
export function tsClassHoldsPool(classText: string): boolean {
  const base = /^[^{]*\bextends\s+([\w.]+)/.exec(classText)?.[1]?.replace(/^.*\./, "") ?? "";
  if (base && (TS_POOLED_CLASS.test(base) || (/Client$/.test(base) && !TS_STATELESS_CLASS.test(base)))) return true;
  const built = [...classText.matchAll(/\bnew\s+([\w.]+)\s*\(/g)].map((m) => m[1].replace(/^.*\./, ""));
  if (built.some((n) => TS_POOLED_CLASS.test(n) || TS_AWS_AGGREGATED.test(n) || (/Client$/.test(n) && !TS_STATELESS_CLASS.test(n)) || n === "Agent")) return true;
  return [...classText.matchAll(/([\w.]+)\s*\(/g)].some((m) => TS_POOLED_FACTORY.test(m[1]) && m[1] !== "createClient" && m[1] !== "createPool");
}
