// The registry: every rule module under checks/, grouped by category. Add a rule by adding its import here.
import type { Rule } from "../src/engine/rule.js";
import { withCodeScope } from "./_lib/context.js";
import runtimeScopeValidation from "./runtime-scope-validation.js";
import compileTimeRequirement from "./compile-time-requirement.js";
import pipelineOrder from "./pipeline-order/index.js";
import sideEffectBeforeCommit from "./side-effect-before-commit.js";
import credentialsPerRequest from "./credentials-per-request.js";
import clientPerRequest from "./client-per-request.js";
import networkCallInLoop from "./network-call-in-loop.js";
import secretFetchPerRequest from "./secret-fetch-per-request.js";
import jwtDecodeWithoutVerify from "./jwt-decode-without-verify.js";
import tenantFromUntrustedSource from "./tenant-from-untrusted-source.js";
import crossTenantIndexQuery from "./cross-tenant-index-query.js";
import batchWithoutTenantCheck from "./batch-without-tenant-check.js";
import checkThenActLock from "./check-then-act-lock.js";
import dynamodbItemGrowth from "./dynamodb-item-growth.js";
import unprocessedItemsIgnored from "./unprocessed-items-ignored.js";
import retryWithoutBackoff from "./retry-without-backoff.js";
import unstructuredLogging from "./unstructured-logging.js";
import noTimeoutOrFallback from "./no-timeout-or-fallback.js";
import chargeOnFailedRequest from "./charge-on-failed-request.js";
import floatMoney from "./float-money.js";
import localTimeBillingPeriod from "./local-time-billing-period.js";
import missingOrInvertedCap from "./missing-or-inverted-cap.js";
import staleDependents from "./stale-dependents.js";
import wideMechanicalChange from "./wide-mechanical-change.js";

export const rules: Rule<any>[] = ([
  runtimeScopeValidation,
  compileTimeRequirement,
  pipelineOrder,
  sideEffectBeforeCommit,
  credentialsPerRequest,
  clientPerRequest,
  networkCallInLoop,
  secretFetchPerRequest,
  jwtDecodeWithoutVerify,
  tenantFromUntrustedSource,
  crossTenantIndexQuery,
  batchWithoutTenantCheck,
  checkThenActLock,
  dynamodbItemGrowth,
  unprocessedItemsIgnored,
  retryWithoutBackoff,
  unstructuredLogging,
  noTimeoutOrFallback,
  chargeOnFailedRequest,
  floatMoney,
  localTimeBillingPeriod,
  missingOrInvertedCap,
  staleDependents,
  wideMechanicalChange,
] as Rule<any>[]).map(withCodeScope);
