/** WeChat's limit for updateremark, in characters (not bytes). */
export const REMARK_MAX = 30;
