import axios from "axios";

/** Whether the tenant is in the new-checkout rollout. */
export async function isNewCheckoutEnabled(tenantId: string): Promise<boolean> {
  const { data } = await axios.get<{ enabled: boolean }>(`${process.env.FLAGS_URL}/v1/flags/new-checkout`, { params: { tenant: tenantId } }); // expect: no-timeout-or-fallback
  return data.enabled;
}
