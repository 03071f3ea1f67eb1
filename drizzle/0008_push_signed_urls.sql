CREATE TABLE `push_signed_urls` (
	`account_id` text NOT NULL,
	`signature` text NOT NULL,
	`digest` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `signature`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `push_signed_urls_expires` ON `push_signed_urls` (`expires_at`);
