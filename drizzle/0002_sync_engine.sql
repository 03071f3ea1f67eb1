CREATE TABLE `account_counts` (
	`account_id` text PRIMARY KEY NOT NULL,
	`followers` integer DEFAULT 0 NOT NULL,
	`without_unionid` integer DEFAULT 0 NOT NULL,
	`reported_total` integer,
	`last_sync_at` integer
);
--> statement-breakpoint
CREATE TABLE `accounts_histogram` (
	`accounts` integer PRIMARY KEY NOT NULL,
	`people` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `followers` (
	`account_id` text NOT NULL,
	`openid` text NOT NULL,
	`person_id` integer NOT NULL,
	`unionid` text,
	`subscribed` integer NOT NULL,
	`subscribe_time` integer,
	`subscribe_scene` text,
	`qr_scene` integer,
	`qr_scene_str` text,
	`remark` text,
	`tag_ids` text,
	`language` text,
	`first_seen_at` integer NOT NULL,
	`unsubscribed_at` integer,
	`profile_fetched_at` integer,
	PRIMARY KEY(`account_id`, `openid`)
);
--> statement-breakpoint
CREATE INDEX `followers_unionid` ON `followers` (`unionid`);--> statement-breakpoint
CREATE INDEX `followers_person` ON `followers` (`person_id`);--> statement-breakpoint
CREATE INDEX `followers_account_subscribed` ON `followers` (`account_id`,`subscribed`);--> statement-breakpoint
CREATE INDEX `followers_remark` ON `followers` (`remark`);--> statement-breakpoint
CREATE TABLE `pair_overlap` (
	`a` integer NOT NULL,
	`b` integer NOT NULL,
	`people` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`a`, `b`)
);
--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`unionid` text,
	`accounts_mask` integer DEFAULT 0 NOT NULL,
	`first_follow_at` integer,
	`last_follow_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_unionid_unique` ON `people` (`unionid`);--> statement-breakpoint
CREATE INDEX `people_mask` ON `people` (`accounts_mask`);--> statement-breakpoint
CREATE TABLE `snapshots` (
	`day` text NOT NULL,
	`scope` text NOT NULL,
	`followers` integer NOT NULL,
	`unique_people` integer NOT NULL,
	`without_unionid` integer NOT NULL,
	`taken_at` integer NOT NULL,
	PRIMARY KEY(`day`, `scope`)
);
--> statement-breakpoint
CREATE TABLE `sync_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`account_id` text NOT NULL,
	`openid` text NOT NULL,
	`change` text NOT NULL,
	`person_id` integer
);
--> statement-breakpoint
CREATE INDEX `sync_changes_run` ON `sync_changes` (`run_id`,`change`);--> statement-breakpoint
CREATE TABLE `sync_listed` (
	`run_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`openid` text NOT NULL,
	PRIMARY KEY(`run_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `sync_listed_openid` ON `sync_listed` (`run_id`,`openid`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`phase` text DEFAULT 'listing' NOT NULL,
	`triggered_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	`paused_until` integer,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`checkpoint` text,
	`reported_total` integer,
	`listed` integer DEFAULT 0 NOT NULL,
	`to_fetch` integer DEFAULT 0 NOT NULL,
	`fetched` integer DEFAULT 0 NOT NULL,
	`new_followers` integer DEFAULT 0 NOT NULL,
	`returned` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unfollowed` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`api_calls` integer DEFAULT 0 NOT NULL,
	`error_category` text,
	`error_code` integer,
	`error_message` text
);
--> statement-breakpoint
CREATE INDEX `sync_runs_account` ON `sync_runs` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `sync_runs_status` ON `sync_runs` (`status`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `slot` integer DEFAULT -1 NOT NULL;--> statement-breakpoint
-- Existing accounts get slots 0, 1, 2… in the order they were added.
UPDATE `accounts` SET `slot` = (SELECT COUNT(*) FROM `accounts` AS `a2` WHERE `a2`.`rowid` < `accounts`.`rowid`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `schedule` text DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `schedule_time` text DEFAULT '03:00' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_slot_unique` ON `accounts` (`slot`);--> statement-breakpoint
-- At most one run per account is active (queued, running or paused) at a time.
CREATE UNIQUE INDEX `sync_runs_one_active` ON `sync_runs` (`account_id`) WHERE `status` IN ('queued', 'running', 'paused');
