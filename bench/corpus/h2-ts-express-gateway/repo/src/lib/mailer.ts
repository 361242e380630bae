import axios from "axios";

export const mailer = axios.create({
  baseURL: process.env.MAILER_URL,
  timeout: 5_000,
  headers: { authorization: `Bearer ${process.env.MAILER_TOKEN}` },
});
