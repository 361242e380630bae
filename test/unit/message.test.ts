import { codeSpan, tidyMessage } from "../../checks/_lib/message.js";

test("codeSpan: one line, no comments, short", () => {
  expect(codeSpan("db_session.query(Signal.id)\n    .filter(Signal.case_id == None)  # noqa\n    .all")).toBe("db_session.query(Signal.id).filter(Signal.case_id == None).all");
  expect(codeSpan("x".repeat(100))).toHaveLength(80);
});

test("tidyMessage: multi-line spans become one line; short spans are kept as written", () => {
  expect(tidyMessage("`client\n  .get(url)` has no timeout:\n a hung call waits.")).toBe("`client.get(url)` has no timeout: a hung call waits.");
  expect(tidyMessage("`a ,b` stays")).toBe("`a ,b` stays");
});
