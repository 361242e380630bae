export interface ServiceConfig {
  authIssuer: string;
  authAudience: string;
}

export async function loadConfig(): Promise<ServiceConfig> {
  const authIssuer = process.env.AUTH_ISSUER;
  const authAudience = process.env.AUTH_AUDIENCE;
  if (!authIssuer || !authAudience) {
    throw new Error("AUTH_ISSUER and AUTH_AUDIENCE must be set");
  }
  return { authIssuer, authAudience };
}
