CREATE TABLE `login_device_throttle` (
	`device` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failed_at` integer NOT NULL,
	`locked_until` integer
);
