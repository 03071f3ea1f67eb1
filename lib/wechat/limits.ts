/** WeChat's documented daily limits per account (wechat-reference §8); quota/get gives the real ones. */
export const DAILY_LIMITS: Record<string, number> = {
  "/cgi-bin/token": 2000,
  "/cgi-bin/stable_token": 500_000,
  "/cgi-bin/user/get": 500,
  "/cgi-bin/user/info": 5_000_000,
  "/cgi-bin/user/info/batchget": 5_000_000,
  "/cgi-bin/user/info/updateremark": 10_000,
};
