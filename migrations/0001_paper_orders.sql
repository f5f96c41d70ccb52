CREATE TABLE `paper_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`identifier` text NOT NULL,
	`market` text NOT NULL,
	`state` text NOT NULL,
	`order_json` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paper_orders_identifier_uq` ON `paper_orders` (`identifier`);--> statement-breakpoint
CREATE INDEX `paper_orders_state_idx` ON `paper_orders` (`state`,`market`);