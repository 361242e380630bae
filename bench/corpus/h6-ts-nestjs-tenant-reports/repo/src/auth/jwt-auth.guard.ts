import { Injectable } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";

/** Verifies the bearer token (passport-jwt strategy) and sets request.user. */
@Injectable()
export class JwtAuthGuard extends AuthGuard("jwt") {}
