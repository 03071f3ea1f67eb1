CREATE TABLE `login_device_throttle` (
	`device` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failed_at` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE INDEX `followers_profile_pending` ON `followers` (`account_id`) WHERE "followers"."profile_fetched_at" IS NULL AND "followers"."subscribed" = 1 AND "followers"."unionid" IS NULL;
