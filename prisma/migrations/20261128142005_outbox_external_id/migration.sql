-- CreateIndex
CREATE INDEX "Outbox_channel_externalId_idx" ON "Outbox"("channel", "externalId");
