// A throwaway RSA key pair for the app's PRIVATE_KEY (the fake GitHub verifies JWTs with the public half).
import { generateKeyPairSync } from "node:crypto";

export interface AppKeys {
  privateKey: string;
  publicKey: string;
}

let cached: AppKeys | undefined;

/** PKCS#8 / SPKI PEM pair, generated once per process (2048 bits, as GitHub issues). */
export function appKeys(): AppKeys {
  cached ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return cached;
}
