enum MarketplaceModule {}
