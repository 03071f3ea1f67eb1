CREATE TABLE `worker_heartbeats` (
	`owner` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`started_at` integer NOT NULL,
	`beat_at` integer NOT NULL,
	`active_runs` integer DEFAULT 0 NOT NULL,
	`stopped_at` integer
);
--> statement-breakpoint
CREATE TABLE `api_errors` (
	`appid` text NOT NULL,
	`day` text NOT NULL,
	`path` text NOT NULL,
	`errcode` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`appid`, `day`, `path`, `errcode`)
);
--> statement-breakpoint
CREATE TABLE `health_probe` (
	`id` integer PRIMARY KEY NOT NULL,
	`checked_at` integer NOT NULL
);
