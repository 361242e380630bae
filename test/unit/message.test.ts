import { callSpan, codeSpan, tidyMessage } from "../../checks/_lib/message.js";

test("codeSpan: one line, no comments, short", () => {
  expect(codeSpan("db_session.query(Signal.id)\n    .filter(Signal.case_id == None)  # noqa\n    .all")).toBe("db_session.query(Signal.id).filter(Signal.case_id == None).all");
  expect(codeSpan("x".repeat(100))).toHaveLength(80);
});

test("tidyMessage: multi-line spans become one line; short spans are kept as written", () => {
  expect(tidyMessage("`client\n  .get(url)` has no timeout:\n a hung call waits.")).toBe("`client.get(url)` has no timeout: a hung call waits.");
  expect(tidyMessage("`a ,b` stays")).toBe("`a ,b` stays");
});

test("callSpan: a call quoted whole when short, else by its callee", () => {
  expect(callSpan('tracing::error!(\n    "Failed sending MessageAttemptRecovered Operational Webhook: {}",\n    e\n)')).toBe("tracing::error!(…)");
  expect(callSpan("sns.publish({ TopicArn: arn, Message: body })")).toBe("sns.publish({ TopicArn: arn, Message: body })");
  expect(callSpan(`sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(order) }))`)).toBe("sqs.send(…)");
});

test("tidyMessage: a span a rule cut inside its arguments is quoted by its callee", () => {
  expect(tidyMessage('this only logs (`tracing::error!( "Failed sending MessageAttemptRecovered Op...`) and moves on')).toBe("this only logs (`tracing::error!(…)`) and moves on");
  expect(tidyMessage("`a.b(c)` and `x.y...` stay")).toBe("`a.b(c)` and `x.y...` stay");
});
