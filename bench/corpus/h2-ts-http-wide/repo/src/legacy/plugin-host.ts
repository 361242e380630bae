import { fetchJson } from "../lib/http";

export async function pluginManifest(pluginUrl: string) {
  return fetchJson<{ name: string; version: string }>(`${pluginUrl}/manifest.json`, { timeoutMs: 1_500 });
}
