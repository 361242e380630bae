import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";

export async function notifyAll(recipients: string[], subject: string) {
  await Promise.all(
    recipients.map(async (to) => {
      const ses = new SESClient({ region: "eu-west-1" }); // expect: client-per-request
      await ses.send( // expect: network-call-in-loop
        new SendEmailCommand({
          Source: "noreply@example.com",
          Destination: { ToAddresses: [to] },
          Message: { Subject: { Data: subject }, Body: { Text: { Data: subject } } },
        }),
      );
    }),
  );
}
