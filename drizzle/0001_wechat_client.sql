CREATE TABLE `access_tokens` (
	`appid` text PRIMARY KEY NOT NULL,
	`token_sealed` text,
	`expires_at` integer,
	`fetched_at` integer,
	`lease_owner` text,
	`lease_until` integer
);
--> statement-breakpoint
CREATE TABLE `api_quota` (
	`appid` text NOT NULL,
	`path` text NOT NULL,
	`daily_limit` integer NOT NULL,
	`used` integer NOT NULL,
	`remain` integer NOT NULL,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`appid`, `path`)
);
--> statement-breakpoint
CREATE TABLE `api_usage` (
	`appid` text NOT NULL,
	`day` text NOT NULL,
	`path` text NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`appid`, `day`, `path`)
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `last_ok_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `last_error_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `last_error_category` text;--> statement-breakpoint
ALTER TABLE `accounts` ADD `last_error_code` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `last_error_path` text;--> statement-breakpoint
ALTER TABLE `accounts` ADD `last_error_message` text;