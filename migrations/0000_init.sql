CREATE TABLE `adviser_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`adviser` text NOT NULL,
	`candidates_json` text NOT NULL,
	`prompt_hash` text,
	`raw_answer` text,
	`pick` text,
	`confidence` integer,
	`risk` text,
	`reason` text,
	`latency_ms` integer,
	`tokens_in` integer,
	`tokens_out` integer,
	`outcome` text NOT NULL,
	`outcome_reason` text,
	`position_id` integer,
	`pnl_krw` real
);
--> statement-breakpoint
CREATE INDEX `adviser_at_idx` ON `adviser_decisions` (`at`);--> statement-breakpoint
CREATE TABLE `bot_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value_json` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `daily_pnl` (
	`day` text PRIMARY KEY NOT NULL,
	`realised_krw` real DEFAULT 0 NOT NULL,
	`fees_krw` real DEFAULT 0 NOT NULL,
	`trades` integer DEFAULT 0 NOT NULL,
	`wins` integer DEFAULT 0 NOT NULL,
	`losses` integer DEFAULT 0 NOT NULL,
	`limit_hit_at` integer
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`level` text NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`data_json` text
);
--> statement-breakpoint
CREATE INDEX `events_at_idx` ON `events` (`at`);--> statement-breakpoint
CREATE INDEX `events_level_idx` ON `events` (`level`,`at`);--> statement-breakpoint
CREATE TABLE `fills` (
	`trade_id` text PRIMARY KEY NOT NULL,
	`order_id` integer NOT NULL,
	`market` text NOT NULL,
	`side` text NOT NULL,
	`price` real NOT NULL,
	`volume` real NOT NULL,
	`funds_krw` real NOT NULL,
	`time` integer NOT NULL,
	`raw_json` text
);
--> statement-breakpoint
CREATE INDEX `fills_order_idx` ON `fills` (`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`identifier` text NOT NULL,
	`exchange_order_id` text,
	`market` text NOT NULL,
	`side` text NOT NULL,
	`kind` text NOT NULL,
	`purpose` text NOT NULL,
	`position_id` integer,
	`amount_krw` real,
	`volume` real,
	`limit_price` real,
	`state` text NOT NULL,
	`executed_volume` real DEFAULT 0 NOT NULL,
	`avg_price` real,
	`paid_fee` real DEFAULT 0 NOT NULL,
	`error` text,
	`raw_json` text,
	`resolve_attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_identifier_uq` ON `orders` (`identifier`);--> statement-breakpoint
CREATE INDEX `orders_state_idx` ON `orders` (`state`);--> statement-breakpoint
CREATE INDEX `orders_position_idx` ON `orders` (`position_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`channel` text NOT NULL,
	`event_type` text NOT NULL,
	`payload_json` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`sent_at` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `paper_balances` (
	`currency` text PRIMARY KEY NOT NULL,
	`free` real NOT NULL,
	`locked` real DEFAULT 0 NOT NULL,
	`avg_buy_price` real DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `positions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`market` text NOT NULL,
	`state` text NOT NULL,
	`volume` real DEFAULT 0 NOT NULL,
	`entry_price` real,
	`entry_cost_krw` real DEFAULT 0 NOT NULL,
	`entry_fee_krw` real DEFAULT 0 NOT NULL,
	`opened_at` integer,
	`high_price` real,
	`exit_price` real,
	`exit_proceeds_krw` real,
	`exit_fee_krw` real,
	`closed_at` integer,
	`exit_reason` text,
	`pnl_krw` real,
	`pnl_rate` real,
	`dust_volume` real DEFAULT 0 NOT NULL,
	`signal_ratio` real,
	`adviser_decision_id` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `positions_state_idx` ON `positions` (`state`);--> statement-breakpoint
CREATE INDEX `positions_market_idx` ON `positions` (`market`);--> statement-breakpoint
CREATE INDEX `positions_closed_idx` ON `positions` (`closed_at`);