CREATE TABLE `push_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`from_user` text NOT NULL,
	`create_time` integer NOT NULL,
	`event` text NOT NULL,
	`event_key` text,
	`outcome` text NOT NULL,
	`mode` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_events_dedupe` ON `push_events` (`account_id`,`from_user`,`create_time`,`event`);--> statement-breakpoint
CREATE INDEX `push_events_account_received` ON `push_events` (`account_id`,`received_at`);