DROP INDEX `followers_remark`;--> statement-breakpoint
CREATE INDEX `followers_remark_nocase` ON `followers` ("remark" COLLATE NOCASE);