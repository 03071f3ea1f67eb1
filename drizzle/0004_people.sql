CREATE TABLE `account_tags` (
	`account_id` text NOT NULL,
	`tag_id` integer NOT NULL,
	`name` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`account_id`, `tag_id`)
);
--> statement-breakpoint
CREATE TABLE `follower_tags` (
	`account_id` text NOT NULL,
	`tag_id` integer NOT NULL,
	`openid` text NOT NULL,
	`person_id` integer NOT NULL,
	PRIMARY KEY(`account_id`, `tag_id`, `openid`)
);
--> statement-breakpoint
CREATE INDEX `follower_tags_person` ON `follower_tags` (`account_id`,`tag_id`,`person_id`);--> statement-breakpoint
CREATE TABLE `mask_counts` (
	`mask` integer NOT NULL,
	`no_unionid` integer NOT NULL,
	`people` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`mask`, `no_unionid`)
);
--> statement-breakpoint
CREATE TABLE `scene_counts` (
	`mask` integer NOT NULL,
	`no_unionid` integer NOT NULL,
	`scene` integer NOT NULL,
	`people` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`mask`, `no_unionid`, `scene`)
);
--> statement-breakpoint
ALTER TABLE `people` ADD `accounts_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `people` ADD `scene_mask` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `people_first` ON `people` (`first_follow_at`,`id`,`accounts_mask`,`scene_mask`);--> statement-breakpoint
CREATE INDEX `people_last` ON `people` (`last_follow_at`,`id`,`accounts_mask`,`scene_mask`);--> statement-breakpoint
CREATE INDEX `people_count` ON `people` (`accounts_count`,`id`,`accounts_mask`,`scene_mask`);--> statement-breakpoint
CREATE INDEX `people_nounionid_first` ON `people` (`first_follow_at`,`id`) WHERE "people"."unionid" IS NULL;--> statement-breakpoint
CREATE INDEX `people_nounionid_last` ON `people` (`last_follow_at`,`id`) WHERE "people"."unionid" IS NULL;--> statement-breakpoint
CREATE INDEX `people_nounionid_count` ON `people` (`accounts_count`,`id`) WHERE "people"."unionid" IS NULL;--> statement-breakpoint
CREATE INDEX `sync_changes_person` ON `sync_changes` (`person_id`);--> statement-breakpoint
-- Backfill for databases synced before this migration (hand-written).
UPDATE `people` SET `accounts_count` = ((accounts_mask >> 0) & 1)+((accounts_mask >> 1) & 1)+((accounts_mask >> 2) & 1)+((accounts_mask >> 3) & 1)+((accounts_mask >> 4) & 1)+((accounts_mask >> 5) & 1)+((accounts_mask >> 6) & 1)+((accounts_mask >> 7) & 1)+((accounts_mask >> 8) & 1)+((accounts_mask >> 9) & 1)+((accounts_mask >> 10) & 1)+((accounts_mask >> 11) & 1)+((accounts_mask >> 12) & 1)+((accounts_mask >> 13) & 1)+((accounts_mask >> 14) & 1)+((accounts_mask >> 15) & 1)+((accounts_mask >> 16) & 1)+((accounts_mask >> 17) & 1)+((accounts_mask >> 18) & 1)+((accounts_mask >> 19) & 1)+((accounts_mask >> 20) & 1)+((accounts_mask >> 21) & 1)+((accounts_mask >> 22) & 1)+((accounts_mask >> 23) & 1)+((accounts_mask >> 24) & 1)+((accounts_mask >> 25) & 1)+((accounts_mask >> 26) & 1)+((accounts_mask >> 27) & 1)+((accounts_mask >> 28) & 1)+((accounts_mask >> 29) & 1)+((accounts_mask >> 30) & 1),
  `first_follow_at` = coalesce(`first_follow_at`, 0), `last_follow_at` = coalesce(`last_follow_at`, 0);--> statement-breakpoint
INSERT INTO `mask_counts` (`mask`, `no_unionid`, `people`)
  SELECT `accounts_mask`, `unionid` IS NULL, count(*) FROM `people` GROUP BY 1, 2;--> statement-breakpoint
INSERT OR IGNORE INTO `follower_tags` (`account_id`, `tag_id`, `openid`, `person_id`)
  SELECT f.`account_id`, t.`value`, f.`openid`, f.`person_id` FROM `followers` f, json_each(f.`tag_ids`) t
   WHERE f.`tag_ids` IS NOT NULL AND f.`subscribed` = 1;--> statement-breakpoint
UPDATE `people` SET `scene_mask` = coalesce((SELECT sum(DISTINCT CASE f.`subscribe_scene` WHEN 'ADD_SCENE_SEARCH' THEN 1 WHEN 'ADD_SCENE_ACCOUNT_MIGRATION' THEN 2 WHEN 'ADD_SCENE_PROFILE_CARD' THEN 4 WHEN 'ADD_SCENE_QR_CODE' THEN 8 WHEN 'ADD_SCENE_PROFILE_LINK' THEN 16 WHEN 'ADD_SCENE_PROFILE_ITEM' THEN 32 WHEN 'ADD_SCENE_PAID' THEN 64 WHEN 'ADD_SCENE_WECHAT_ADVERTISEMENT' THEN 128 WHEN 'ADD_SCENE_REPRINT' THEN 256 WHEN 'ADD_SCENE_LIVESTREAM' THEN 512 WHEN 'ADD_SCENE_CHANNELS' THEN 1024 WHEN 'ADD_SCENE_WXA' THEN 2048 WHEN 'ADD_SCENE_OTHERS' THEN 4096 ELSE 0 END) FROM `followers` f WHERE f.`person_id` = `people`.`id`), 0);--> statement-breakpoint
INSERT INTO `scene_counts` (`mask`, `no_unionid`, `scene`, `people`)
  SELECT p.`accounts_mask`, p.`unionid` IS NULL, b.`value`, count(*) FROM `people` p
    JOIN json_each('[0,1,2,3,4,5,6,7,8,9,10,11,12]') b ON (p.`scene_mask` >> b.`value`) & 1
   GROUP BY 1, 2, 3;
