"use strict";

const AWS = require("aws-sdk");
const express = require("express");
const repo = require("./repository");

const router = express.Router();

router.get("/accounts", async (req, res, next) => {
  try {
    const ids = String(req.query.ids || "").split(",").filter(Boolean).slice(0, 100);
    const accounts = await repo.getAccounts(req.auth.tenantId, ids);
    res.json(accounts);
  } catch (err) {
    next(err);
  }
});

router.get("/export/:day", async (req, res, next) => {
  try {
    res.json(await repo.entriesForDay(req.auth.tenantId, req.params.day));
  } catch (err) {
    next(err);
  }
});

router.get("/reports/download", async (req, res, next) => {
  try {
    const credentials = await repo.reportingCredentials(req.auth.tenantId);
    const s3 = new AWS.S3({ credentials, signatureVersion: "v4" }); // expect: client-per-request
    const url = s3.getSignedUrl("getObject", { Bucket: process.env.REPORT_BUCKET, Key: `${req.auth.tenantId}/latest.csv`, Expires: 300 });
    res.json({ url });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
