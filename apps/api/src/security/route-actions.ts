import { RequestMethod, type INestApplicationContext, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_PATH, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { type Action, isAction } from '@pruefpfad/domain';
import { ACTION_METADATA, PUBLIC_METADATA } from './security.decorators.js';

export interface RouteDeclaration {
  readonly controller: string;
  readonly handler: string;
  /** Upper-case HTTP method; `ALL` routes are listed as `GET`. */
  readonly method: string;
  /** The route path as registered, with `:params` (global prefix included when passed in). */
  readonly path: string;
  /** The declared action, or null when none (or an unknown one) is declared. */
  readonly action: Action | null;
  readonly public: boolean;
}

export interface CollectRouteOptions {
  /** The prefix set with `app.setGlobalPrefix()`, if any (Nest does not expose it). */
  readonly globalPrefix?: string;
}

function asArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return [value];
  return [''];
}

function joinPath(...parts: string[]): string {
  const joined = `/${parts.filter((part) => part.length > 0).join('/')}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/**
 * Lists every controller route of the application with the action it declares (or that it is
 * public), read from the same metadata the router and `AuthGuard` use. URI versioning is not applied.
 */
export function collectRouteActions(
  app: INestApplicationContext,
  options: CollectRouteOptions = {},
): RouteDeclaration[] {
  const modules = app.get(ModulesContainer);
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const routes: RouteDeclaration[] = [];
  const seen = new Set<Type>();

  for (const module of modules.values()) {
    const modulePath: unknown =
      Reflect.getMetadata(MODULE_PATH + modules.applicationId, module.metatype) ??
      Reflect.getMetadata(MODULE_PATH, module.metatype);
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      const prototype = controller.prototype as Record<string, unknown>;
      for (const handlerName of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[handlerName];
        if (typeof handler !== 'function') continue;
        const methodPaths: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPaths === undefined) continue;
        const requestMethod =
          (Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) ?? RequestMethod.GET;
        const method = requestMethod === RequestMethod.ALL ? 'GET' : RequestMethod[requestMethod];
        const targets = [handler, controller];
        const declared: unknown = reflector.getAllAndOverride(ACTION_METADATA, targets);
        const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true;
        for (const controllerPath of asArray(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const methodPath of asArray(methodPaths)) {
            routes.push({
              controller: controller.name,
              handler: handlerName,
              method,
              path: joinPath(
                options.globalPrefix ?? '',
                typeof modulePath === 'string' ? modulePath : '',
                controllerPath,
                methodPath,
              ),
              action: isAction(declared) ? declared : null,
              public: isPublic,
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
